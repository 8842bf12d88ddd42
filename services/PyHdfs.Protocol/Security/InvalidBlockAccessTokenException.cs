namespace PyHdfs.Protocol.Security;

/// <summary>The one error of <see cref="BlockAccessToken.Decode"/>: the bytes are not a well-formed token.</summary>
public sealed class InvalidBlockAccessTokenException(string message) : Exception(message);
