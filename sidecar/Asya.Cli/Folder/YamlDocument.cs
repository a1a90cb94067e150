using System.Text.Json.Nodes;

namespace Asya.Cli.Folder;

/// <summary>One document of a YAML file as JSON, with where it came from for error messages.</summary>
/// <param name="SourceFile">Path as shown to the user.</param>
/// <param name="Index">0-based position in the file.</param>
/// <param name="Line">1-based line where the document starts.</param>
/// <param name="Root">The document; <c>null</c> for an empty document.</param>
internal sealed record YamlDocument(string SourceFile, int Index, int Line, JsonNode? Root)
{
    /// <summary><c>file</c> for the only document, <c>file (document 2)</c> otherwise.</summary>
    public string Where(int documentCount) => documentCount <= 1 ? SourceFile : $"{SourceFile} (document {Index + 1})";
}
