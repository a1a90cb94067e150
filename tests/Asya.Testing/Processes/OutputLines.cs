using System.Text;

namespace Asya.Testing.Processes;

/// <summary>
/// The lines a child process wrote to one stream, kept (bounded: a long run under faults logs a lot, and only the recent
/// lines explain a failure) so a test can wait for a line with a deadline instead of polling the text.
/// </summary>
public sealed class OutputLines
{
    private const int MaxChars = 1_000_000;

    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Everything kept so far.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines, for a failure message.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Text.Split('\n').TakeLast(lines));

    /// <summary>Adds a line (the data of an <c>OutputDataReceived</c>/<c>ErrorDataReceived</c> event; null, the end, is ignored).</summary>
    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_text.Length > MaxChars)
            {
                _text.Remove(0, _text.Length / 2);
            }

            _text.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes once a line matches (one already kept counts); false when <paramref name="deadline"/> passes first.</summary>
    public async Task<bool> WaitForAsync(Func<string, bool> match, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(match);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_text.ToString().Split('\n').Any(match))
            {
                return true;
            }

            _waiters.Add((match, done));
        }

        try
        {
            await done.Task.WaitAsync(deadline);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }

            return false;
        }
    }
}
