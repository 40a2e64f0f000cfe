import * as z from 'zod';

/**
 * The same schema with every object in it made strict (z.strictObject: an unexpected key fails),
 * through arrays, optionals, nullables, defaults, unions, records, intersections, pipes and
 * readonly wrappers. Each schema is cloned from its definition, so checks and refinements stay.
 * The integration tests parse API responses with their route's view made deep-strict: a field
 * the view does not list then fails the test instead of being dropped.
 */
export function deepStrict<T extends z.ZodType>(schema: T): z.ZodType<z.output<T>, z.input<T>> {
  // Making objects strict changes what a schema accepts, never what it produces.
  return strictened(schema) as z.ZodType<z.output<T>, z.input<T>>;
}

function strictened(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, value]) => [key, strictened(value)]));
    return schema.clone({ ...schema.def, shape, catchall: z.never() });
  }
  if (schema instanceof z.ZodArray) return schema.clone({ ...schema.def, element: strictened(schema.element) });
  if (schema instanceof z.ZodOptional) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodNullable) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodDefault) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodPrefault) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodReadonly) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodCatch) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodNonOptional) return schema.clone({ ...schema.def, innerType: strictened(schema.def.innerType) });
  if (schema instanceof z.ZodUnion) return schema.clone({ ...schema.def, options: schema.def.options.map((option) => strictened(option)) });
  if (schema instanceof z.ZodRecord) return schema.clone({ ...schema.def, valueType: strictened(schema.def.valueType) });
  if (schema instanceof z.ZodIntersection) {
    return schema.clone({ ...schema.def, left: strictened(schema.def.left), right: strictened(schema.def.right) });
  }
  if (schema instanceof z.ZodPipe) return schema.clone({ ...schema.def, in: strictened(schema.def.in), out: strictened(schema.def.out) });
  return schema;
}
