using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Exporter.Tests.Packaging;

/// <summary>
/// The exporter zip that the central stack ships to member accounts, built by the CDK project's PublishLambdaPackages target: it holds
/// what the managed dotnet10 runtime loads, and the handler the member template names exists with the Stream signature.
/// </summary>
[TestClass]
public sealed class ExporterPackageTests
{
    private static readonly string ZipPath = Path.Combine(RepoPaths.Root, "artifacts", "lambda", "exporter.zip");
    private static Dictionary<string, byte[]> _entries = null!;

    [ClassInitialize]
    public static async Task PublishAsync(TestContext context)
    {
        // Incremental: publishes only when a Lambda source changed since the last build of the CDK project.
        var project = Path.Combine(RepoPaths.Root, "cdk", "SecHubFanout.Cdk", "SecHubFanout.Cdk.csproj");
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["msbuild", project, "-t:PublishLambdaPackages", "-nologo", "-v:q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.AreEqual(0, process.ExitCode, $"PublishLambdaPackages failed:\n{await output}\n{await error}");

        using var zip = ZipFile.OpenRead(ZipPath);
        _entries = zip.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }, StringComparer.Ordinal);
    }

    [TestMethod]
    public void Zip_AtItsRoot_HoldsTheAssemblyDepsAndRuntimeConfig()
    {
        foreach (var name in new[] { "SecHubFanout.Exporter.dll", "SecHubFanout.Exporter.deps.json", "SecHubFanout.Exporter.runtimeconfig.json", "SecHubFanout.Core.dll", "SecHubFanout.Aws.dll" })
        {
            Assert.IsTrue(_entries.ContainsKey(name), $"{name} missing from {ZipPath}: " + string.Join(", ", _entries.Keys));
        }

        Assert.IsFalse(_entries.Keys.Any(k => k.Contains("Amazon.CDK", StringComparison.Ordinal) || k.Contains("MSTest", StringComparison.Ordinal) || k.StartsWith("SecHubFanout.Cdk", StringComparison.Ordinal)), "build-time assemblies leaked into the package");
    }

    [TestMethod]
    public void RuntimeConfig_NamesTheNet10SharedFramework()
    {
        using var config = JsonDocument.Parse(_entries["SecHubFanout.Exporter.runtimeconfig.json"]);

        var framework = config.RootElement.GetProperty("runtimeOptions").GetProperty("framework");
        Assert.AreEqual("Microsoft.NETCore.App", framework.GetProperty("name").GetString(), "framework-dependent: the managed runtime provides .NET");
        StringAssert.StartsWith(framework.GetProperty("version").GetString(), "10.");
        Assert.AreEqual("net10.0", config.RootElement.GetProperty("runtimeOptions").GetProperty("tfm").GetString());
    }

    [TestMethod]
    public void DepsJson_ForLinuxArm64_EveryRuntimeAssemblyIsInTheZip()
    {
        using var deps = JsonDocument.Parse(_entries["SecHubFanout.Exporter.deps.json"]);

        var target = deps.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        Assert.AreEqual(".NETCoreApp,Version=v10.0/linux-arm64", target);
        var assemblies = deps.RootElement.GetProperty("targets").GetProperty(target).EnumerateObject()
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(a => Path.GetFileName(a.Name)))
            .ToList();
        Assert.IsGreaterThan(5, assemblies.Count);
        var missing = assemblies.Where(a => !_entries.ContainsKey(a)).ToList();
        Assert.IsEmpty(missing, "deps.json lists assemblies the zip lacks: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void TemplateHandler_ExistsInThePackagedAssemblyWithTheStreamSignature()
    {
        var template = File.ReadAllText(Path.Combine(RepoPaths.Root, "stackset-templates", "member-exporter.template.json"));
        using var document = JsonDocument.Parse(template);
        var function = document.RootElement.GetProperty("Resources").EnumerateObject()
            .Single(r => r.Value.GetProperty("Type").GetString() == "AWS::Lambda::Function").Value.GetProperty("Properties");
        var handler = function.GetProperty("Handler").GetString()!.Split("::");
        Assert.AreEqual("dotnet10", function.GetProperty("Runtime").GetString());
        Assert.HasCount(3, handler, "a .NET handler is Assembly::Namespace.Type::Method");

        // The package is built for linux-arm64, so it cannot be loaded here: read its metadata instead.
        Assert.IsTrue(_entries.TryGetValue(handler[0] + ".dll", out var image), $"{handler[0]}.dll is not in the package");
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var typeName = handler[1][(handler[1].LastIndexOf('.') + 1)..];
        var typeNamespace = handler[1][..handler[1].LastIndexOf('.')];
        var types = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => metadata.GetString(t.Name) == typeName && metadata.GetString(t.Namespace) == typeNamespace).ToList();
        Assert.HasCount(1, types, $"type {handler[1]} not found in the packaged {handler[0]}.dll");
        var type = types[0];
        Assert.AreEqual(TypeAttributes.Public, type.Attributes & TypeAttributes.VisibilityMask, "the handler class must be public");
        var methods = type.GetMethods().Select(metadata.GetMethodDefinition).ToList();
        var provider = new TypeNames(metadata);
        Assert.IsTrue(
            methods.Any(m => metadata.GetString(m.Name) == ".ctor" && (m.Attributes & MethodAttributes.Public) != 0 && m.DecodeSignature(provider, null).ParameterTypes.Length == 0),
            "the runtime creates the handler class with a public parameterless constructor");
        var handlers = methods.Where(m => metadata.GetString(m.Name) == handler[2] && (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public && (m.Attributes & MethodAttributes.Static) == 0)
            .Select(m => m.DecodeSignature(provider, null)).ToList();
        Assert.HasCount(1, handlers, $"one public instance method {handler[1]}.{handler[2]}");
        CollectionAssert.AreEqual(new[] { "System.IO.Stream" }, handlers[0].ParameterTypes.ToArray());
        Assert.AreEqual("System.Threading.Tasks.Task`1<System.IO.Stream>", handlers[0].ReturnType);
    }

    /// <summary>Names types in signatures as Namespace.Name (generic arguments in angle brackets), enough to compare a handler's signature.</summary>
    private sealed class TypeNames(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = metadata.GetTypeReference(handle);
            return $"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}";
        }

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var definition = metadata.GetTypeDefinition(handle);
            return $"{metadata.GetString(definition.Namespace)}.{metadata.GetString(definition.Name)}";
        }

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";
    }
}
