using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cdk.Tests;

/// <summary>
/// The published central package (<c>artifacts/lambda/coordinator</c>, deployed by the central stack) holds every handler the stack
/// names: a public class with a public parameterless constructor (the managed runtime creates it) and a public <c>HandleAsync</c>.
/// </summary>
[TestClass]
public sealed class CoordinatorPackageTests
{
    [TestMethod]
    public void Handlers_EveryCentralFunctionsHandler_ExistsInThePublishedAssembly()
    {
        var handlers = SynthesizedStacks.Central.Resources("AWS::Lambda::Function")
            .Select(f => (string?)f.Value["Properties"]!["Handler"])
            .Where(h => h?.StartsWith("SecHubFanout.Coordinator::", StringComparison.Ordinal) == true)
            .Select(h => h!.Split("::"))
            .ToList();
        using var file = File.OpenRead(Path.Combine(RepoPaths.Root, "artifacts", "lambda", "coordinator", "SecHubFanout.Coordinator.dll"));
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();

        CollectionAssert.Contains(handlers.Select(h => h[1]).ToList(), "SecHubFanout.Coordinator.StreamWriterFunction");
        foreach (var handler in handlers)
        {
            var type = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
                .SingleOrDefault(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}" == handler[1]);
            Assert.AreNotEqual(default, type, $"{handler[1]} is in the package");
            Assert.IsTrue((type.Attributes & TypeAttributes.Public) != 0, $"{handler[1]} is public");
            var methods = type.GetMethods().Select(metadata.GetMethodDefinition).ToList();
            Assert.IsTrue(methods.Any(m => metadata.GetString(m.Name) == handler[2] && (m.Attributes & MethodAttributes.Public) != 0), $"{handler[1]}.{handler[2]} is public");
            Assert.IsTrue(
                methods.Any(m => metadata.GetString(m.Name) == ".ctor" && (m.Attributes & MethodAttributes.Public) != 0 && metadata.GetBlobReader(m.Signature).ReadBytes(3)[1] == 0),
                $"{handler[1]} has a public parameterless constructor");
        }
    }
}
