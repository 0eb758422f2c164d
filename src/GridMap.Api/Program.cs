using GridMap.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddGridMap();
var app = builder.Build();
app.MapGridMap();
app.Run();

public partial class Program;
