using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace GridMap.Api.Auth;

/// Expensive analysis (grid splits, isochrones, coverage recomputation) is limited per API key, or per
/// client address for anonymous callers, so one client cannot starve the others. Cheap reads are not limited.
/// `GridMap:AnalysisPerMinute` sets the budget (default 60; 0 turns the limit off).
public static class RateLimits
{
    public const string AnalysisPolicy = "analysis";
    public const string ConfigurationKey = "GridMap:AnalysisPerMinute";

    public static void AddGridMapRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue(ConfigurationKey, 60);
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(AnalysisPolicy, context => perMinute <= 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetTokenBucketLimiter(Caller(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = perMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = async (rejected, ct) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many analysis requests.",
                    detail: $"At most {perMinute} analysis requests per minute per key (or per address without a key); try again after Retry-After seconds.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    private static string Caller(HttpContext context) =>
        context.User.FindFirstValue("key_id") is { } keyId
            ? "key:" + keyId
            : "address:" + context.Connection.RemoteIpAddress;
}
