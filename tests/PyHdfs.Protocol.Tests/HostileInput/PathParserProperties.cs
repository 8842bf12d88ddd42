using System.Text;
using FsCheck.Xunit;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.Protocol.Tests.HostileInput;

/// <summary>
/// Any string given as a path is either refused with InvalidPath, naming the path, or normalized into a path
/// that is absolute, inside the limits, free of "." and ".." and stable under normalization.
/// </summary>
public sealed class PathParserProperties
{
    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 3000)]
    public void A_path_is_normalized_inside_the_limits_or_refused_as_invalid(PathText input)
    {
        string normalized;
        try
        {
            normalized = DfsPath.Normalize(input.Value);
        }
        catch (DfsException e)
        {
            Assert.Equal(ErrorKind.InvalidPath, e.Kind);
            Assert.StartsWith("invalid path '", e.Message, StringComparison.Ordinal);
            Assert.False(DfsPath.TryNormalize(input.Value, out _, out var error));
            Assert.Equal(e.Message, error);
            return;
        }

        Assert.StartsWith("/", normalized, StringComparison.Ordinal);
        Assert.InRange(normalized.Length, 1, DfsPath.MaxPathLength);
        Assert.True(normalized == "/" || !normalized.EndsWith('/'), $"trailing slash kept in {normalized}");
        Assert.DoesNotContain("//", normalized, StringComparison.Ordinal);
        var components = DfsPath.Split(normalized);
        Assert.InRange(components.Length, 0, DfsPath.MaxDepth);
        Assert.All(components, c =>
        {
            Assert.NotEqual(".", c);
            Assert.NotEqual("..", c);
            Assert.InRange(c.Length, 1, DfsPath.MaxComponentLength);
            Assert.DoesNotContain(c, ch => char.IsControl(ch) || ch == ':');
        });
        Assert.Equal(normalized, DfsPath.Normalize(normalized));
        Assert.Equal(normalized, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(normalized)));
    }

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 3000)]
    public void Parent_and_name_of_a_normalized_path_put_it_back_together(PathText input)
    {
        if (!DfsPath.TryNormalize(input.Value, out var normalized, out _) || normalized == "/")
        {
            return;
        }
        var parent = DfsPath.ParentOf(normalized);
        var name = DfsPath.NameOf(normalized);
        Assert.True(DfsPath.TryValidateName(name, out var error), error);
        Assert.Equal(normalized, DfsPath.Combine(parent, name));
        Assert.True(DfsPath.IsSameOrDescendant(normalized, parent));
        Assert.False(DfsPath.IsSameOrDescendant(parent, normalized));
    }
}
