using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Errors;

/// problem+json answers for a user's mistake. `field` names the query parameter, header or JSON member.
public static class Problems
{
    public static ProblemHttpResult Field(string field, string detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: TitleFor(status),
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status412PreconditionFailed => "The feature was changed by someone else.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type.",
        StatusCodes.Status428PreconditionRequired => "If-Match is required.",
        _ => "Invalid request.",
    };
}
