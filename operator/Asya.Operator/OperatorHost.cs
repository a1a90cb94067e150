using System.Collections;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Asya.Operator;

/// <summary>The <c>asya-operator</c> process: exit 0 on a clean stop (SIGTERM), 2 on bad flags or no cluster access.</summary>
public static class OperatorHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "--help" or "-h"))
        {
            await Console.Out.WriteLineAsync("usage: asya-operator [flags]  (flags win over environment variables)").ConfigureAwait(false);
            foreach (var (flag, env, meaning) in OperatorSettingsParser.Known)
            {
                await Console.Out.WriteLineAsync($"  --{flag,-22} {env,-26} {meaning}").ConfigureAwait(false);
            }

            return 0;
        }

        OperatorSettings settings;
        KubernetesClientConfiguration config;
        try
        {
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
            (settings, var kubeconfig) = OperatorSettingsParser.Parse(args, environment);
            config = kubeconfig is not null
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception ex) when (ex is ArgumentException or k8s.Exceptions.KubeConfigException or IOException)
        {
            await Console.Error.WriteLineAsync($"asya-operator: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using var client = new Kubernetes(config);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAsyaOperator(settings, client);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
