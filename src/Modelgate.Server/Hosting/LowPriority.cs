using System.Runtime.InteropServices;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Gives the calling thread the lowest scheduling priority (nice 19) on Linux, where .NET's own thread priority has no
/// effect: background work such as token counting then takes only the CPU that requests leave over. Elsewhere, or
/// when the system refuses, the thread keeps its priority.
/// </summary>
internal static class LowPriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    public static void ForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // On Linux a thread is a task of its own: PRIO_PROCESS with its thread id sets that thread alone.
            _ = SetPriority(PrioProcess, GetThreadId(), Lowest);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An older C library without gettid: the thread keeps its priority.
        }
    }

    // Plain DllImport: two int-only signatures need no marshalling (LibraryImport would need unsafe code for the project).
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
#pragma warning restore SYSLIB1054
}
