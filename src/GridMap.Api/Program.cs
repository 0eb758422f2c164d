var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "GridMap");
app.Run();

public partial class Program;
