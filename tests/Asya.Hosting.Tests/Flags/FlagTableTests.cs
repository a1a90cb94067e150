using Asya.Hosting.Flags;

namespace Asya.Hosting.Tests.Flags;

public sealed class FlagTableTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    private static readonly FlagTable Table = new("asya-test",
    [
        new("drain-timeout", "ASYA_DRAIN_TIMEOUT", "30s", "how long to drain"),
        new("resources-path", "ASYA_RESOURCES_PATH", null, "manifest folders") { Repeatable = true },
        new("verbose", null, null, "every log line") { IsSwitch = true },
        new("enabled", "ASYA_ENABLED", "true", "on or off"),
    ]);

    [Fact]
    public void Read_Nothing_DefaultsFromTheTable()
    {
        var values = Table.Read([], NoEnv);

        Assert.Equal(TimeSpan.FromSeconds(30), values.GetDuration("drain-timeout"));
        Assert.True(values.GetBool("enabled"));
        Assert.False(values.Has("verbose"));
        Assert.Empty(values.GetPaths("resources-path"));
    }

    [Fact]
    public void Read_FlagWinsOverVariable_VariableOverDefault()
    {
        var env = new Dictionary<string, string> { ["ASYA_DRAIN_TIMEOUT"] = "5m", ["ASYA_RESOURCES_PATH"] = "/a:/b", ["ASYA_ENABLED"] = "no" };

        var fromEnv = Table.Read([], env);
        var fromFlag = Table.Read(["--drain-timeout=1m30s", "--resources-path", "/x", "--resources-path", "/y"], env);

        Assert.Equal(TimeSpan.FromMinutes(5), fromEnv.GetDuration("drain-timeout"));
        Assert.Equal(["/a", "/b"], fromEnv.GetPaths("resources-path"));
        Assert.False(fromEnv.GetBool("enabled"));
        Assert.Equal(TimeSpan.FromSeconds(90), fromFlag.GetDuration("drain-timeout"));
        Assert.Equal(["/x", "/y"], fromFlag.GetPaths("resources-path"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("y", true)]
    [InlineData("t", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("NO", false)]
    [InlineData("n", false)]
    [InlineData("f", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    public void GetBool_OneVocabulary(string text, bool expected)
    {
        Assert.Equal(expected, Table.Read(["--enabled", text], NoEnv).GetBool("enabled"));
    }

    [Theory]
    [InlineData(new[] { "--drain-timeout", "5x" }, "--drain-timeout (or ASYA_DRAIN_TIMEOUT): '5x' is not a duration such as 30s, 5m or 1m30s")]
    [InlineData(new[] { "--drain-timeout", "0s" }, "--drain-timeout (or ASYA_DRAIN_TIMEOUT): '0s' must be longer than zero")]
    [InlineData(new[] { "--enabled", "maybe" }, "--enabled (or ASYA_ENABLED): 'maybe' must be true or false")]
    [InlineData(new[] { "--colour", "red" }, "unknown flag --colour; known flags: --drain-timeout, --resources-path, --verbose, --enabled")]
    [InlineData(new[] { "--drain-timeout" }, "flag --drain-timeout needs a value")]
    [InlineData(new[] { "--verbose=yes" }, "flag --verbose takes no value")]
    [InlineData(new[] { "--drain-timeout", "1s", "--drain-timeout", "2s" }, "flag --drain-timeout given twice")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray': flags look like --name value")]
    public void Read_BadInput_ConfigurationErrorNamingTheFlag(string[] args, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
        {
            var values = Table.Read(args, NoEnv);
            values.GetDuration("drain-timeout");
            values.GetBool("enabled");
        });

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void RenderHelp_OneLinePerFlag_WithVariableAndDefault()
    {
        var help = Table.RenderHelp("usage: asya-test [flags]");

        Assert.StartsWith("usage: asya-test [flags]", help, StringComparison.Ordinal);
        var lines = help.Split('\n');
        Assert.Contains(lines, l => l.Contains("--drain-timeout", StringComparison.Ordinal)
            && l.Contains("ASYA_DRAIN_TIMEOUT", StringComparison.Ordinal) && l.EndsWith("how long to drain (default 30s)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--verbose", StringComparison.Ordinal) && l.EndsWith("every log line", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Positionals_KeptWhenAllowed()
    {
        var table = new FlagTable("asya run", Table.Flags) { AllowPositionals = true };

        var values = table.Read(["folder", "--verbose", "--", "--not-a-flag"], NoEnv);

        Assert.Equal(["folder", "--not-a-flag"], values.Positionals);
        Assert.True(values.Has("verbose"));
    }
}
