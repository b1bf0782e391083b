using RenderFarm.Facade;

var builder = WebApplication.CreateBuilder(args);
builder.AddFacade();
var app = builder.Build();
app.MapFacade();
app.Run();
