using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Core.Tests.Orchestration;

[TestClass]
public sealed class MemberExecutionNamesTests
{
    private const string Export = "20261123T180000Z-0a1b2c3d";

    [TestMethod]
    [DataRow(Export + "-eu-west-1-c1", Export, true)]
    [DataRow(Export + "-us-gov-west-1-c12", Export, true)]
    [DataRow(Export + "-r2-ap-southeast-2-c3", Export + "-r2", true)]
    [DataRow(Export + "-r1-eu-west-1-c1", Export, false)]
    [DataRow(Export + "-r1", Export, false)]
    [DataRow(Export, Export, false)]
    [DataRow(Export + "-eu-west-1", Export, false)]
    [DataRow("20261123T180000Z-0a1b2c3e-eu-west-1-c1", Export, false)]
    public void IsContinuationOf_Names_OnlyRegionContinuationsOfThatExecution(string name, string root, bool expected) =>
        Assert.AreEqual(expected, MemberExecutionNames.IsContinuationOf(name, root));
}
