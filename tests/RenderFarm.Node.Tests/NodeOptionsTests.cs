namespace RenderFarm.Node.Tests;

public sealed class NodeOptionsTests
{
    [Fact]
    public void CoordinatorUrl_TakesSeveralCommaSeparatedUrls_TriedInOrder()
    {
        var options = new NodeOptions { CoordinatorUrl = " http://a:8082, http://b:8082 ,,https://c" };
        Assert.Equal(["http://a:8082", "http://b:8082", "https://c"], options.CoordinatorUrls);
        Assert.True(options.HasValidCoordinatorUrls);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("http://a:8082,a-host:8082")]
    [InlineData("ftp://a")]
    public void CoordinatorUrl_RefusesAnythingButHttpUrls(string value) =>
        Assert.False(new NodeOptions { CoordinatorUrl = value }.HasValidCoordinatorUrls);
}
