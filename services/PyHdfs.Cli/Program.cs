Console.WriteLine("pyhdfs");
