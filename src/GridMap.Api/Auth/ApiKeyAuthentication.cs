using System.Security.Claims;
using System.Text.Encodings.Web;
using GridMap.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GridMap.Api.Auth;

/// API keys from `gridmap keys create`, sent as `Authorization: Bearer KEY` or `X-Api-Key: KEY`.
/// Reading is open; writing needs the planner or admin role. A key that is sent but unknown is refused
/// (401) rather than silently treated as anonymous.
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string WritePolicy = "write";
    public const string AdminPolicy = "admin";
    public const string HeaderName = "X-Api-Key";

    public static void AddGridMapAuth(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(WritePolicy, policy => policy.RequireRole("planner", "admin"))
            .AddPolicy(AdminPolicy, policy => policy.RequireRole("admin"));
    }

    /// Signed-in staff and above may see personal information such as a grid head's phone number.
    public static bool CanSeePersonal(ClaimsPrincipal user) =>
        user.IsInRole("staff") || user.IsInRole("planner") || user.IsInRole("admin");

    /// "name (role)" for the grid history; "anonymous" cannot happen on writes.
    public static string Actor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? $"{user.Identity.Name} ({user.FindFirstValue(ClaimTypes.Role)})"
            : "anonymous";

    private sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
        UrlEncoder encoder, ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var secret = ReadSecret(Request);
            if (secret is null)
                return AuthenticateResult.NoResult();
            var key = await keys.FindAsync(secret, Context.RequestAborted);
            if (key is null)
                return AuthenticateResult.Fail("Unknown or revoked API key.");
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role), new Claim("key_id", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                ApiKeyAuthentication.Scheme);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            return base.HandleChallengeAsync(properties);
        }

        private static string? ReadSecret(HttpRequest request)
        {
            if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
                return header.ToString().Trim();
            var authorization = request.Headers.Authorization.ToString();
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? authorization["Bearer ".Length..].Trim()
                : null;
        }
    }
}
