using Asya.Testing;

namespace Asya.Deploy.Tests;

public sealed class DockerfileTests
{
    // Projects written on other branches: until their folder lands, a COPY of it cannot be checked yet. Once the
    // folder exists, the exact path must exist too.
    private static readonly string[] PendingFolders = ["operator", "external-scaler"];

    public static TheoryData<string, string> DotnetImages() => new()
    {
        { "sidecar.Dockerfile", "sidecar/Asya.Sidecar.Host/Asya.Sidecar.Host.csproj" },
        { "external-scaler.Dockerfile", "external-scaler/Asya.ExternalScaler/Asya.ExternalScaler.csproj" },
        { "operator.Dockerfile", "operator/Asya.Operator.Host/Asya.Operator.Host.csproj" },
        { "gateway.Dockerfile", "gateway/Asya.Gateway/Asya.Gateway.csproj" },
    };

    public static TheoryData<string> AllImages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Dockerfile.Folder, "*.Dockerfile").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DotnetImages))]
    public void Dockerfile_DotnetImage_BuildsWithTheSdkAndRunsOnAChiseledRuntime(string name, string project)
    {
        var file = Dockerfile.Read(name);
        var froms = file.Froms.ToList();

        Assert.True(froms.Count >= 2, $"{name}: must be multi-stage (build, then runtime)");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", froms[0]);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/(aspnet|runtime|runtime-deps):10\.0(-[a-z]+)*-chiseled$", froms[^1]);
        Assert.Contains(file.Lines, l => l.Instruction == "RUN" && l.Arguments.Contains("dotnet publish " + project, StringComparison.Ordinal));
        Assert.Contains(file.Lines, l => l.Instruction == "COPY" && l.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
        AssertPathExistsOrPending(project, name);
    }

    [Theory]
    [MemberData(nameof(AllImages))]
    public void Dockerfile_EveryImage_RunsAsNonRootWithPinnedBases(string name)
    {
        var file = Dockerfile.Read(name);

        Assert.All(file.Froms, from => Assert.True(from.Contains(':', StringComparison.Ordinal) && !from.EndsWith(":latest", StringComparison.Ordinal),
            $"{name}: base image {from} needs a pinned tag other than latest"));
        var user = file.Lines.LastOrDefault(l => l.Instruction == "USER").Arguments;
        Assert.False(string.IsNullOrEmpty(user), $"{name}: the final stage needs a USER");
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        var lastFrom = file.Lines.ToList().FindLastIndex(l => l.Instruction == "FROM");
        var lastUser = file.Lines.ToList().FindLastIndex(l => l.Instruction == "USER");
        Assert.True(lastUser > lastFrom, $"{name}: USER must be set in the final stage");
        var entrypoint = file.Lines.Single(l => l.Instruction == "ENTRYPOINT").Arguments;
        Assert.StartsWith("[", entrypoint, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllImages))]
    public void Dockerfile_EveryCopySource_ExistsAndIsNotDockerignored(string name)
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        foreach (var (_, arguments) in Dockerfile.Read(name).Lines.Where(l => l.Instruction == "COPY" && !l.Arguments.StartsWith("--from", StringComparison.Ordinal)))
        {
            var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                AssertPathExistsOrPending(source, name);
                Assert.DoesNotContain(ignored, pattern => !pattern.StartsWith("**", StringComparison.Ordinal)
                    && (source.TrimEnd('/') + "/").StartsWith(pattern.TrimEnd('/') + "/", StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [MemberData(nameof(DotnetImages))]
    public void Dockerfile_DotnetImage_CopiesEveryProjectItReferences(string name, string project)
    {
        var copied = Dockerfile.Read(name).Lines
            .Where(l => l.Instruction == "COPY" && !l.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        foreach (var reference in ProjectClosure(project))
        {
            Assert.True(copied.Any(source => reference.StartsWith(source.TrimEnd('/') + "/", StringComparison.Ordinal)),
                $"{name}: {project} references {reference}, which no COPY brings into the build stage");
        }
    }

    [Fact]
    public void Dockerignore_KeepsBuildOutputOut()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));

        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains(".git/", lines);
    }

    /// <summary><paramref name="project"/> and every project it references, transitively, relative to the repository root.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, next))!;
            foreach (var reference in System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.Root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    private static void AssertPathExistsOrPending(string relative, string dockerfile)
    {
        var path = Path.Combine(RepoPaths.Root, relative.TrimEnd('/'));
        if (File.Exists(path) || Directory.Exists(path))
        {
            return;
        }

        var top = relative.Split('/')[0];
        Assert.True(PendingFolders.Contains(top) && !Directory.Exists(Path.Combine(RepoPaths.Root, top)),
            $"{dockerfile}: COPY/publish path {relative} does not exist in the repository");
    }
}
