namespace PyHdfs.Client; public sealed class Placeholder;
