/**
 * Reports that another job wrote (a shard's, maybe a fork's), checked against the report's published JSON Schema before
 * anything of them is used: every field of leakwatch's own objects typed, bounded where it can be, and no field the
 * schema does not know (so no `__proto__` either).
 */
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

let validator: Promise<ValidateFunction> | undefined;

/** Ajv and the schema are loaded only when a report is checked: most runs check none. */
async function compile(): Promise<ValidateFunction> {
  // Ajv is CommonJS: its class is the module's default export once bundled.
  const [{ default: Ajv }, { default: schema }] = await Promise.all([
    import('ajv/dist/2020.js') as Promise<unknown> as Promise<{ default: typeof Ajv2020 }>,
    import('../docs/report.schema.json', { with: { type: 'json' } }),
  ]);
  // Union types (`["number", "null"]`) are standard JSON Schema; Ajv asks for them to be allowed by name.
  return new Ajv({ allowUnionTypes: true }).compile(schema);
}

/** Why `value` is not a report as this leakwatch writes them, in words for people; undefined when it is one. */
export async function reportProblem(value: unknown): Promise<string | undefined> {
  validator ??= compile();
  const validate = await validator;
  if (validate(value)) return undefined;
  const [error] = validate.errors ?? [];
  return error === undefined ? 'it is not a leakwatch report' : describe(error);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the report' : `its field ${error.instancePath}`;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : '';
  return `${where} ${error.message ?? `fails ${error.keyword}`}${extra}`;
}
