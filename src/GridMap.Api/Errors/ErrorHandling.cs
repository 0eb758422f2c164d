using GridMap.Data;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace GridMap.Api.Errors;

/// Every error leaves as application/problem+json. A write the database refuses on the data (a
/// foreign key, a check) is the user's mistake: 400 naming the property. A database that cannot be reached is the service's
/// trouble, not the user's: 503 with Retry-After, and the next request tries again by itself.
public static class ErrorHandling
{
    public const int RetryAfterSeconds = 5;

    public static void AddGridMapErrors(this IServiceCollection services)
    {
        services.AddProblemDetails();
    }

    public static void UseGridMapErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => IsDatabaseUnavailable(e) ? StatusCodes.Status503ServiceUnavailable
                : e is BadHttpRequestException bad ? bad.StatusCode
                : e is FeatureRejectedException ? StatusCodes.Status400BadRequest
                : StatusCodes.Status500InternalServerError,
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var status = context.Response.StatusCode;
                if (status == StatusCodes.Status503ServiceUnavailable)
                {
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    // Pooled connections to a database that went away are all dead: drop them so the
                    // first request after it returns gets a fresh connection instead of another 503.
                    context.RequestServices.GetRequiredService<NpgsqlDataSource>().Clear();
                }
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    Exception = error,
                    ProblemDetails =
                    {
                        Status = status,
                        Title = status switch
                        {
                            StatusCodes.Status503ServiceUnavailable => "The database is unavailable; try again shortly.",
                            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                            < 500 => "The request could not be read.",
                            _ => "An unexpected error occurred.",
                        },
                        Detail = status < 500 ? error?.Message : null,
                        Extensions = error is FeatureRejectedException rejected
                            ? new Dictionary<string, object?> { ["field"] = rejected.Property }
                            : new Dictionary<string, object?>(),
                    },
                });
            },
        });
        app.UseStatusCodePages();
    }

    public static bool IsDatabaseUnavailable(Exception? error) => error switch
    {
        null => false,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                               || p.SqlState.StartsWith("57P", StringComparison.Ordinal) // shutdown, cannot connect now
                               || p.SqlState == PostgresErrorCodes.TooManyConnections,
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or TimeoutException or IOException,
        TimeoutException => true,
        _ => IsDatabaseUnavailable(error.InnerException),
    };
}
