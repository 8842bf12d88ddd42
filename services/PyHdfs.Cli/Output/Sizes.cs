using System.Globalization;

namespace PyHdfs.Cli.Output;

/// <summary>Byte sizes: parsing "128M"/"64K"/"1G"/"4096" (binary multiples) and human formatting ("1.5 K").</summary>
internal static class Sizes
{
    private static readonly string[] Units = ["K", "M", "G", "T", "P", "E"];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim().ToUpperInvariant();
        if (s.EndsWith("IB", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        else if (s.EndsWith('B'))
        {
            s = s[..^1];
        }
        long multiplier = 1;
        if (s.Length > 0 && char.IsLetter(s[^1]))
        {
            var index = Array.IndexOf(Units, s[^1].ToString());
            if (index < 0)
            {
                return false;
            }
            multiplier = 1L << (10 * (index + 1));
            s = s[..^1];
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }
        var value = number * multiplier;
        if (value > long.MaxValue || value != decimal.Truncate(value))
        {
            return false;
        }
        bytes = (long)value;
        return true;
    }

    public static long Parse(string text, string what) =>
        TryParse(text, out var bytes)
            ? bytes
            : throw new Infrastructure.CliException($"{what}: invalid size '{text}' (use a number of bytes or a suffix: 64K, 128M, 1G)", Infrastructure.ExitCodes.Usage);

    public static string Human(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture);
        }
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Format(long bytes, bool human) => human ? Human(bytes) : bytes.ToString(CultureInfo.InvariantCulture);
}
