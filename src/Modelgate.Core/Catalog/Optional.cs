namespace Modelgate.Core.Catalog;

/// <summary>
/// A value in a partial update that is either absent (leave the field as it is) or present
/// (set it, possibly to null). Distinguishes <c>{"base_url": null}</c> from a body without <c>base_url</c>.
/// </summary>
public readonly record struct Optional<T>
{
    private readonly T _value;

    public Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    public bool HasValue { get; }

    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional value is absent.");

    /// <summary>The value when present, otherwise <paramref name="current"/>.</summary>
    public T Or(T current) => HasValue ? _value : current;

    public static implicit operator Optional<T>(T value) => new(value);

    public override string ToString() => HasValue ? $"{_value}" : "(absent)";
}
