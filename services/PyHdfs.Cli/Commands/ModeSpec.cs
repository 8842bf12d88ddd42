using PyHdfs.Cli.Infrastructure;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.Cli.Commands;

/// <summary>
/// A chmod mode: octal (755, 1777) or symbolic clauses like chmod(1): <c>[ugoa]*[+-=][rwxt]*</c>,
/// comma-separated (u+x,go-w). A symbolic mode changes the current mode, so it is applied per inode.
/// </summary>
internal sealed class ModeSpec
{
    private readonly uint? _octal;
    private readonly IReadOnlyList<Clause> _clauses;

    private ModeSpec(uint? octal, IReadOnlyList<Clause> clauses)
    {
        _octal = octal;
        _clauses = clauses;
    }

    public static ModeSpec Parse(string text)
    {
        if (text.Length > 0 && text.All(c => c is >= '0' and <= '7'))
        {
            return text.Length <= 4 && Convert.ToUInt32(text, 8) is var value and <= FsMode.MaxPermission
                ? new ModeSpec(value, [])
                : throw CliException.Usage($"mode {text}: an octal mode is at most 1777 (sticky bit and rwx for owner, group, other)");
        }
        var clauses = new List<Clause>();
        foreach (var part in text.Split(','))
        {
            clauses.Add(Clause.Parse(part, text));
        }
        return new ModeSpec(null, clauses);
    }

    /// <summary>The new mode of an inode whose mode is <paramref name="current"/>.</summary>
    public uint ApplyTo(uint current)
    {
        if (_octal is { } octal)
        {
            return octal;
        }
        var mode = current & FsMode.MaxPermission;
        foreach (var clause in _clauses)
        {
            mode = clause.ApplyTo(mode);
        }
        return mode;
    }

    private sealed record Clause(uint Classes, char Operator, uint Rights, bool Sticky)
    {
        public static Clause Parse(string part, string whole)
        {
            var i = 0;
            uint classes = 0;
            for (; i < part.Length && part[i] is 'u' or 'g' or 'o' or 'a'; i++)
            {
                classes |= part[i] switch { 'u' => 0x1C0u, 'g' => 0x38u, 'o' => 0x7u, _ => 0x1FFu };
            }
            if (i >= part.Length || part[i] is not ('+' or '-' or '='))
            {
                throw CliException.Usage($"mode {whole}: expected an octal mode (755) or [ugoa][+-=][rwxt] clauses (u+x,go-w)");
            }
            var op = part[i++];
            uint rights = 0;
            var sticky = false;
            for (; i < part.Length; i++)
            {
                switch (part[i])
                {
                    case 'r': rights |= 4; break;
                    case 'w': rights |= 2; break;
                    case 'x': rights |= 1; break;
                    case 't': sticky = true; break;
                    default: throw CliException.Usage($"mode {whole}: '{part[i]}' is not one of r, w, x, t");
                }
            }
            return new Clause(classes == 0 ? 0x1FFu : classes, op, rights * 0x49u, sticky);
        }

        public uint ApplyTo(uint mode)
        {
            var bits = (Rights & Classes) | (Sticky ? FsMode.StickyBit : 0);
            return Operator switch
            {
                '+' => mode | bits,
                '-' => mode & ~bits,
                _ => (mode & ~(Classes | (Sticky ? FsMode.StickyBit : 0))) | bits,
            };
        }
    }
}
