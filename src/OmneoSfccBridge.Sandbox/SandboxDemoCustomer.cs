namespace OmneoSfccBridge.Sandbox;

public sealed record SandboxDemoCustomer(string Login, string Password, string CustomerNo);
