using System.Collections.ObjectModel;

namespace OmneoSfccBridge.Sandbox;

/// <summary>A profile's (handle, identifier) pairs; every change reaches the owning sandbox's identity index.</summary>
public sealed class SandboxIdentities : Collection<(string Handle, string Identifier)>
{
    private readonly SandboxProfile _profile;

    internal SandboxIdentities(SandboxProfile profile) => _profile = profile;

    protected override void InsertItem(int index, (string Handle, string Identifier) item) =>
        Change(() => base.InsertItem(index, item), added: item, removed: null);

    protected override void SetItem(int index, (string Handle, string Identifier) item) =>
        Change(() => base.SetItem(index, item), added: item, removed: this[index]);

    protected override void RemoveItem(int index) =>
        Change(() => base.RemoveItem(index), added: null, removed: this[index]);

    protected override void ClearItems()
    {
        while (Count > 0)
        {
            RemoveAt(Count - 1);
        }
    }

    private void Change(Action apply, (string, string)? added, (string, string)? removed)
    {
        if (_profile.Owner is { } owner)
        {
            owner.ChangeIdentity(_profile, apply, added, removed);
        }
        else
        {
            apply();
        }
    }
}
