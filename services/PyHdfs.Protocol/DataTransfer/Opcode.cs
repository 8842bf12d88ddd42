namespace PyHdfs.Protocol.DataTransfer;

public enum Opcode : byte
{
    WriteBlock = 0x50,
    ReadBlock = 0x51,
}
