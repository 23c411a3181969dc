using Mono.Cecil;
using Mono.Cecil.Cil;

namespace HomeLab.Tests.Architecture;

/// <summary>
/// Every type a compiled assembly's own types use, read from its metadata and IL with Mono.Cecil: base types,
/// interfaces, attributes, fields, properties, signatures, locals and every type, method and field an instruction
/// names — also the uses a source scan cannot see (a type of an enclosing namespace named without a using).
/// Compiler-generated nested types (lambdas, state machines) count as their outermost type. Constants are inlined by
/// the C# compiler and leave no reference; <see cref="SourceDependencies"/> covers them through the usings.
/// </summary>
public static class AssemblyDependencies
{
    /// <summary>The uses of types of the same assembly whose namespace starts with <paramref name="root"/>, by types under that root.</summary>
    public static IReadOnlyList<Dependency> Read(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath, new ReaderParameters { ReadSymbols = true });
        var found = new List<Dependency>();
        foreach (var type in module.GetTypes())
        {
            var owner = Outermost(type);
            if (!InRoot(owner.Namespace, root))
            {
                continue;
            }

            var scan = new TypeScan(owner, root, found);
            scan.Type(type);
        }

        return found;
    }

    private static bool InRoot(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private sealed class TypeScan(TypeReference owner, string root, List<Dependency> found)
    {
        public void Type(TypeDefinition type)
        {
            var where = owner.FullName;
            Use(type.BaseType, where);
            foreach (var i in type.Interfaces)
            {
                Use(i.InterfaceType, where);
            }

            Attributes(type, where);
            foreach (var field in type.Fields)
            {
                Use(field.FieldType, $"{where}.{field.Name}");
                Attributes(field, where);
            }

            foreach (var property in type.Properties)
            {
                Use(property.PropertyType, $"{where}.{property.Name}");
                Attributes(property, where);
            }

            foreach (var method in type.Methods)
            {
                Method(method);
            }
        }

        private void Method(MethodDefinition method)
        {
            var where = $"{owner.FullName}.{method.Name}";
            Use(method.ReturnType, where);
            Attributes(method, where);
            foreach (var parameter in method.Parameters)
            {
                Use(parameter.ParameterType, where);
                Attributes(parameter, where);
            }

            foreach (var constraint in method.GenericParameters.SelectMany(g => g.Constraints))
            {
                Use(constraint.ConstraintType, where);
            }

            if (!method.HasBody)
            {
                return;
            }

            foreach (var variable in method.Body.Variables)
            {
                Use(variable.VariableType, where);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                var at = Position(method, instruction) ?? where;
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Use(t, at);
                        break;
                    case MethodReference m:
                        Use(m.DeclaringType, at);
                        Use(m.ReturnType, at);
                        foreach (var p in m.Parameters)
                        {
                            Use(p.ParameterType, at);
                        }

                        if (m is GenericInstanceMethod g)
                        {
                            foreach (var argument in g.GenericArguments)
                            {
                                Use(argument, at);
                            }
                        }

                        break;
                    case FieldReference f:
                        Use(f.DeclaringType, at);
                        Use(f.FieldType, at);
                        break;
                }
            }
        }

        /// <summary>file:line of the source line an instruction belongs to, when the symbols say.</summary>
        private static string? Position(MethodDefinition method, Instruction instruction)
        {
            var points = method.DebugInformation.SequencePoints;
            var point = points.LastOrDefault(p => p.Offset <= instruction.Offset && !p.IsHidden);
            return point is null ? null : $"{point.Document.Url}:{point.StartLine} ({method.DeclaringType.FullName}.{method.Name})";
        }

        private void Attributes(ICustomAttributeProvider provider, string where)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Use(attribute.AttributeType, where);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    Use(argument.Type, where);
                    if (argument.Value is TypeReference t)
                    {
                        Use(t, where);
                    }
                }
            }
        }

        private void Use(TypeReference? type, string where)
        {
            switch (type)
            {
                case null:
                case GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Use(generic.ElementType, where);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Use(argument, where);
                    }

                    return;
                case TypeSpecification spec:
                    Use(spec.ElementType, where);
                    return;
            }

            if (type.Scope is not ModuleDefinition)
            {
                return;
            }

            var target = Outermost(type);
            if (InRoot(target.Namespace, root) && target.Namespace != owner.Namespace)
            {
                found.Add(new Dependency(where, owner.Namespace, target.FullName, target.Namespace));
            }
        }
    }
}
