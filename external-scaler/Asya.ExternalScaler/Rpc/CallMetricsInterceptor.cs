using Asya.ExternalScaler.Observability;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Asya.ExternalScaler.Rpc;

/// <summary>Counts every RPC by status code and times the unary ones (streams live as long as KEDA keeps them).</summary>
internal sealed class CallMetricsInterceptor(ScalerMetrics metrics, TimeProvider timeProvider) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var started = timeProvider.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException ex)
        {
            code = ex.StatusCode;
            throw;
        }
        catch
        {
            code = StatusCode.Unknown;
            throw;
        }
        finally
        {
            metrics.Called(MethodName(context.Method), code.ToString(), timeProvider.GetElapsedTime(started));
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var code = StatusCode.OK;
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException ex)
        {
            code = ex.StatusCode;
            throw;
        }
        catch
        {
            code = StatusCode.Unknown;
            throw;
        }
        finally
        {
            metrics.Called(MethodName(context.Method), code.ToString(), null);
        }
    }

    private static string MethodName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
