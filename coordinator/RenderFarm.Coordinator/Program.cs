using RenderFarm.Coordinator;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoordinator();
var app = builder.Build();
app.MapCoordinator();
app.Run();
