// Drives PyHDFS's WebHDFS with the npm `webhdfs` package (1.2.0, pinned in package.json / package-lock.json).
// usage: node npm_tour.js HOST PORT USER ROOT
// mkdir, writeFile, readFile, readdir, rename, unlink under ROOT; prints one JSON object with what it saw and leaves
// ROOT/renamed.txt for the caller to read with `pyhdfs get`. Exits 1 with the error on the first failure.
'use strict';
const { promisify } = require('util');
const WebHDFS = require('webhdfs');

const [host, port, user, root] = process.argv.slice(2);
const client = WebHDFS.createClient({ host, port, user, path: '/webhdfs/v1' });
const call = (name, ...args) => promisify(client[name].bind(client))(...args);

(async () => {
  const result = {};
  const content = Buffer.from('written by npm webhdfs 1.2.0 \u00fc\n'.repeat(1000));
  await call('mkdir', `${root}/dir`);
  await call('writeFile', `${root}/dir/hello.txt`, content);
  const read = await call('readFile', `${root}/dir/hello.txt`);
  result.readBack = Buffer.compare(Buffer.from(read), content) === 0;
  result.readdir = (await call('readdir', `${root}/dir`)).map((s) => s.pathSuffix);
  result.stat = (await call('stat', `${root}/dir/hello.txt`)).length;
  await call('rename', `${root}/dir/hello.txt`, `${root}/renamed.txt`);
  await call('writeFile', `${root}/dir/gone.txt`, Buffer.from('x'));
  await call('unlink', `${root}/dir/gone.txt`);
  result.afterUnlink = (await call('readdir', `${root}/dir`)).map((s) => s.pathSuffix);
  try {
    await call('readFile', `${root}/missing.txt`);
    result.missing = 'no error';
  } catch (e) {
    result.missing = e.message;
  }
  result.expectedLength = content.length;
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
