using System.Runtime.InteropServices;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Puts the calling thread in Linux's idle scheduling class (<c>SCHED_IDLE</c>), where .NET's own thread priority has
/// no effect: background work such as token counting then runs only on CPU time no request wants, and a request's
/// thread that wakes up takes the core from it at once. Nice 19 alone is not enough for that: the kernel lets a nice-19
/// thread finish its time slice (milliseconds) before a woken request thread runs, which shows in the requests' p99.
/// Where the idle class is refused, the thread gets nice 19; elsewhere than Linux it keeps its priority.
/// </summary>
internal static class LowPriority
{
    private const int SchedIdle = 5;
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <summary>Whether the idle class was set (false: nice 19, or nothing off Linux).</summary>
    public static bool ForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // On Linux a thread is a task of its own: 0 names the calling thread, and PRIO_PROCESS with its thread id
            // sets that thread alone. SCHED_IDLE takes a priority of 0.
            var priority = 0;
            if (SetScheduler(0, SchedIdle, ref priority) == 0)
            {
                return true;
            }

            _ = SetPriority(PrioProcess, GetThreadId(), Lowest);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An older C library without gettid: the thread keeps its priority.
        }

        return false;
    }

    // Plain DllImport: int-only signatures need no marshalling (LibraryImport would need unsafe code for the project).
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "sched_setscheduler")]
    private static extern int SetScheduler(int pid, int policy, ref int parameter);
#pragma warning restore SYSLIB1054
}
