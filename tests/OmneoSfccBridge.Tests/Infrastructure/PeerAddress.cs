using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace OmneoSfccBridge.Tests.Infrastructure;

/// <summary>
/// Gives every request of an in-process bridge the connection address it would have on a real network (the test
/// server sets none), e.g. the load balancer's, before the bridge's own middleware runs.
/// </summary>
public sealed class PeerAddress(string address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return nextMiddleware(context);
        });
        next(app);
    };
}
