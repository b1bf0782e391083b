using System.Globalization;

namespace RenderFarm.Bench;

/// <summary>
/// What the machine was doing while a phase ran: the load average, and how its CPU time split
/// between the benchmark (this process and, for redis-server, the server's process), everything
/// else on the machine, and idle (<c>/proc/stat</c>, <c>/proc/PID/stat</c>). On a shared machine
/// the figures only compare between runs that got a like share.
/// </summary>
internal sealed record MachineSample(double LoadAverage, long TotalTicks, long IdleTicks, long OwnTicks)
{
    public static MachineSample Take(int? serverPid)
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
            return new MachineSample(load, cpu.Sum(), cpu[3] + cpu[4], ProcessTicks("self") + (serverPid is { } pid ? ProcessTicks($"{pid}") : 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return new MachineSample(double.NaN, 0, 0, 0);
        }
    }

    // utime + stime, fields 14 and 15 of /proc/PID/stat (counted after the command's closing parenthesis).
    private static long ProcessTicks(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}

/// <summary>The machine between two samples.</summary>
/// <param name="OwnSeconds">CPU seconds the benchmark used (ticks of USER_HZ, 100 a second on Linux).</param>
internal sealed record MachineShare(double LoadBefore, double LoadAfter, double Own, double Others, double Idle, double OwnSeconds)
{
    public static MachineShare Between(MachineSample before, MachineSample after)
    {
        double total = Math.Max(1, after.TotalTicks - before.TotalTicks);
        var own = (after.OwnTicks - before.OwnTicks) / total;
        var idle = (after.IdleTicks - before.IdleTicks) / total;
        return new MachineShare(before.LoadAverage, after.LoadAverage, own, Math.Max(0, 1 - own - idle), idle, (after.OwnTicks - before.OwnTicks) / 100.0);
    }

    public override string ToString() => FormattableString.Invariant(
        $"load {LoadBefore:F1}→{LoadAfter:F1}, CPU bench {Own:P0} / others {Others:P0} / idle {Idle:P0}");
}
