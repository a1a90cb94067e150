using Asya.Gateway.Flows;

namespace Asya.Gateway.Tests.Flows;

public sealed class FlowsReaderTests
{
    [Fact]
    public void Parse_UpstreamFormat_AllFields()
    {
        var flows = FlowsReader.Parse("""
            flows:
            - name: summarize
              entrypoint: tokenize
              route_next: [judge]
              description: Summarize a text
              timeout: 120
              mcp: {inputSchema: {type: object}}
              a2a: {}
            - name: echo
              entrypoint: echo
            """, "flows.yaml");

        var summarize = flows[0];
        Assert.Equal(["tokenize", "judge"], summarize.Route);
        Assert.Equal("Summarize a text", summarize.Description);
        Assert.Equal(TimeSpan.FromSeconds(120), summarize.Timeout);
        Assert.Equal("object", summarize.Mcp!["inputSchema"]!["type"]!.GetValue<string>());
        Assert.NotNull(summarize.A2a);
        Assert.Equal("flows.yaml:2", summarize.Location);
        Assert.Equal("flows.yaml:9", flows[1].Location);
        Assert.Null(flows[1].Mcp);
        Assert.Null(flows[1].Timeout);
    }

    [Fact]
    public void Parse_AsyaYaml_FlowsBesideTheFolderSettings_NoFlowsIsEmpty()
    {
        var flows = FlowsReader.Parse("namespace: team\nroute: [a, b]\nflows:\n- name: f\n  entrypoint: a\n", "asya.yaml");
        Assert.Equal("f", Assert.Single(flows).Name);
        Assert.Empty(FlowsReader.Parse("route: [a]\n", "asya.yaml"));
    }

    [Theory]
    [InlineData("flows:\n- name: a\n  entrypoint: x\n- name: b\n  entrypont: y\n", "flows.yaml:4: flows[1].entrypont: unknown field; did you mean entrypoint?")]
    [InlineData("flows:\n- name: a\n", "flows.yaml:2: flows[0].entrypoint: required")]
    [InlineData("flows:\n- entrypoint: a\n", "flows.yaml:2: flows[0].name: required")]
    [InlineData("flows:\n- name: a b\n  entrypoint: x\n", "flows.yaml:2: flows[0].name: 'a b' must be letters, digits")]
    [InlineData("flows:\n- name: a\n  entrypoint: X_Y\n", "flows.yaml:2: flows[0].entrypoint: 'X_Y' is not an actor name")]
    [InlineData("flows:\n- name: a\n  entrypoint: x\n  route_next: y\n", "flows.yaml:2: flows[0].route_next: must be a list")]
    [InlineData("flows:\n- name: a\n  entrypoint: x\n  timeout: 0\n", "flows.yaml:2: flows[0].timeout: must be a number of seconds above 0")]
    [InlineData("flows:\n- name: a\n  entrypoint: x\n  mcp: yes\n", "flows.yaml:2: flows[0].mcp: must be a mapping")]
    [InlineData("flows: {a: 1}\n", "flows.yaml:1: flows: must be a list")]
    [InlineData("tools: []\n", "flows.yaml:1: flows: missing")]
    [InlineData("flows: []\nroute: [a]\n", "flows.yaml:1: route: unknown field")]
    [InlineData("flows:\n- name: a\n  entrypoint: [x\n", "flows.yaml:4: invalid YAML")]
    public void Parse_BadFile_FileLineAndField(string yaml, string error)
    {
        var ex = Assert.Throws<FlowsFileException>(() => FlowsReader.Parse(yaml, "flows.yaml"));
        Assert.StartsWith(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Folder_FlowsYamlAndAsyaYaml_DuplicateNameNamesBothPlaces()
    {
        using var folder = new Asya.Testing.TempDirectory();
        File.WriteAllText(folder.Combine("flows.yaml"), "flows:\n- name: a\n  entrypoint: x\n");
        File.WriteAllText(folder.Combine("asya.yaml"), "route: [x]\nflows:\n- name: b\n  entrypoint: y\n");
        var set = FlowsReader.Read(folder.Path);
        Assert.Equal(["a", "b"], set.Flows.Select(f => f.Name));
        Assert.True(set.IsKnownActor("y"));
        Assert.False(set.IsKnownActor("z"));

        File.WriteAllText(folder.Combine("asya.yaml"), "flows:\n- name: a\n  entrypoint: y\n");
        var ex = Assert.Throws<FlowsFileException>(() => FlowsReader.Read(folder.Path));
        Assert.Equal($"{folder.Combine("asya.yaml")}:2: name: flow 'a' is already defined at {folder.Combine("flows.yaml")}:2", ex.Message);
    }
}
