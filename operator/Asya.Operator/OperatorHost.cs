using Asya.Hosting;
using Asya.Hosting.Flags;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Asya.Operator;

/// <summary>The <c>asya-operator</c> process: exit 0 on a clean stop (SIGTERM), 2 on bad flags or no cluster access.</summary>
public static class OperatorHost
{
    public static string Help => OperatorSettingsParser.Flags.RenderHelp("""
        usage: asya-operator [flags]

        Reconciles AsyncActors into Deployments (sidecar injected), KEDA ScaledObjects and queues.
        """);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (FlagTable.AsksForHelp(args))
        {
            await Console.Out.WriteLineAsync(Help).ConfigureAwait(false);
            return 0;
        }

        OperatorSettings settings;
        KubernetesClientConfiguration config;
        try
        {
            (settings, var kubeconfig) = OperatorSettingsParser.Parse(args, ProcessEnvironment.Read());
            config = kubeconfig is not null
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception ex) when (ex is ConfigurationException or k8s.Exceptions.KubeConfigException or IOException)
        {
            await Console.Error.WriteLineAsync($"asya-operator: {ex.Message}").ConfigureAwait(false);
            return ConfigurationException.ExitCode;
        }

        using var client = new Kubernetes(config);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAsyaOperator(settings, client);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
