using System.Text;
using SecHubFanout.Aws.Signing;
using V = SecHubFanout.Aws.Tests.Signing.SigV4TestSuiteVectors;

namespace SecHubFanout.Aws.Tests.Signing;

[TestClass]
public sealed class SigV4Tests
{
    private const string AllVectors = "get-vanilla,get-vanilla-query-order-key-case,get-vanilla-query-order-value,get-vanilla-query-unreserved,get-unreserved,get-header-value-trim,get-header-key-duplicate,post-vanilla,post-vanilla-query,post-x-www-form-urlencoded,post-sts-header-before";

    public static IEnumerable<object[]> Vectors => AllVectors.Split(',').Select(static name => new object[] { name });

    [TestMethod]
    [DynamicData(nameof(Vectors))]
    public void CanonicalRequest_SuiteVector_MatchesCreqByteForByte(string name)
    {
        // Arrange
        var v = V.All[name];

        // Act
        var creq = SigV4.CanonicalRequest(v.Method, v.Path, v.Query, v.Headers, v.SignedHeaders, SigV4.Sha256Hex(Encoding.UTF8.GetBytes(v.Body)));

        // Assert
        Assert.AreEqual(v.CanonicalRequest, creq);
    }

    [TestMethod]
    [DynamicData(nameof(Vectors))]
    public void StringToSign_SuiteVector_MatchesStsByteForByte(string name)
    {
        // Arrange
        var v = V.All[name];

        // Act
        var sts = SigV4.StringToSign(v.CanonicalRequest, V.AmzDate, V.Region, V.Service);

        // Assert
        Assert.AreEqual(v.StringToSign, sts);
    }

    [TestMethod]
    [DynamicData(nameof(Vectors))]
    public void ComputeSignature_SuiteVector_MatchesAuthz(string name)
    {
        // Arrange
        var v = V.All[name];

        // Act
        var signature = SigV4.ComputeSignature(V.SecretKey, V.AmzDate, V.Region, V.Service, v.CanonicalRequest);
        var authorization = SigV4.AuthorizationHeader(V.AccessKeyId, V.AmzDate, V.Region, V.Service, v.SignedHeaders, signature);

        // Assert
        Assert.AreEqual(v.Signature, signature);
        Assert.AreEqual(v.Authorization, authorization);
    }

    [TestMethod]
    [DynamicData(nameof(Vectors))]
    public void Verify_SuiteVectorAsReceived_Accepts(string name)
    {
        // Arrange
        var v = V.All[name];
        var headers = ReceivedHeaders(v);

        // Act
        var result = SigV4.Verify(v.Method, v.Path, v.Query, headers, Encoding.UTF8.GetBytes(v.Body), key => key == V.AccessKeyId ? V.SecretKey : null);

        // Assert
        Assert.IsTrue(result.IsValid, result.Error);
        Assert.AreEqual(V.AccessKeyId, result.AccessKeyId);
        Assert.AreEqual(V.Region, result.Region);
        Assert.AreEqual(V.Service, result.Service);
    }

    [TestMethod]
    public void Verify_BodyChanged_Rejects()
    {
        // Arrange
        var v = V.All["post-x-www-form-urlencoded"];
        var headers = ReceivedHeaders(v);

        // Act
        var result = SigV4.Verify(v.Method, v.Path, v.Query, headers, "Param1=value2"u8, _ => V.SecretKey);

        // Assert
        Assert.IsFalse(result.IsValid);
        Assert.Contains("signature does not match", result.Error!);
    }

    [TestMethod]
    public void Verify_WrongSecret_Rejects()
    {
        // Arrange
        var v = V.All["get-vanilla"];

        // Act
        var result = SigV4.Verify(v.Method, v.Path, v.Query, ReceivedHeaders(v), [], _ => "not-the-secret");

        // Assert
        Assert.IsFalse(result.IsValid);
        Assert.AreEqual(V.AccessKeyId, result.AccessKeyId);
    }

    [TestMethod]
    public void Verify_UnknownAccessKey_RejectsNamingTheKey()
    {
        // Arrange
        var v = V.All["get-vanilla"];

        // Act
        var result = SigV4.Verify(v.Method, v.Path, v.Query, ReceivedHeaders(v), [], _ => null);

        // Assert
        Assert.IsFalse(result.IsValid);
        Assert.Contains("AKIDEXAMPLE", result.Error!);
    }

    [TestMethod]
    public void Verify_NoAuthorization_Rejects()
    {
        // Arrange
        var headers = new Dictionary<string, string> { ["host"] = V.Host, ["x-amz-date"] = V.AmzDate };

        // Act
        var result = SigV4.Verify("GET", "/", string.Empty, headers, [], _ => V.SecretKey);

        // Assert
        Assert.IsFalse(result.IsValid);
        Assert.Contains("Authorization", result.Error!);
    }

    [TestMethod]
    [DataRow(14, true)]
    [DataRow(-14, true)]
    [DataRow(16, false)]
    [DataRow(-16, false)]
    public void Verify_ClockSkew_AcceptsWithinWindowOnly(int minutesOff, bool expectedValid)
    {
        // Arrange
        var v = V.All["get-vanilla"];
        var now = V.SignedAt.AddMinutes(minutesOff);

        // Act
        var result = SigV4.Verify(v.Method, v.Path, v.Query, ReceivedHeaders(v), [], _ => V.SecretKey, now, TimeSpan.FromMinutes(15));

        // Assert
        Assert.AreEqual(expectedValid, result.IsValid, result.Error);
    }

    [TestMethod]
    public void CanonicalRequest_RawAndAlreadyEncodedPaths_EncodeOnce()
    {
        // Arrange
        string[] signed = ["host"];
        KeyValuePair<string, string>[] headers = [new("host", "h")];

        // Act
        var raw = SigV4.CanonicalRequest("GET", "/example space/\u1234", string.Empty, headers, signed, SigV4.EmptyPayloadSha256);
        var encoded = SigV4.CanonicalRequest("GET", "/example%20space/%e1%88%b4", string.Empty, headers, signed, SigV4.EmptyPayloadSha256);

        // Assert
        Assert.StartsWith("GET\n/example%20space/%E1%88%B4\n", raw);
        Assert.AreEqual(raw, encoded);
    }

    private static Dictionary<string, string> ReceivedHeaders(V.Vector v)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in v.Headers)
        {
            var name = key.ToLowerInvariant();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + "," + value : value;
        }

        headers["authorization"] = v.Authorization;
        return headers;
    }
}
