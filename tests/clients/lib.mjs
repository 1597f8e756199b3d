// Shared by the client scripts: the settings the xUnit side passes in the environment, and one JSON result on
// stdout. A failed call is a result too ({ error }); only a broken script exits with a non-zero code.
export const baseURL = required('MG_BASE_URL');
export const apiKey = required('MG_API_KEY');
export const model = required('MG_MODEL');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/** The weather tool every tool scenario offers, as a JSON schema. */
export const weatherParameters = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

/** Runs the scenario and prints its result, or the error the client raised, as JSON. */
export async function run(scenario) {
  let result;
  try {
    result = await scenario();
  } catch (error) {
    result = {
      error: {
        name: error?.constructor?.name,
        status: error?.status ?? error?.statusCode ?? error?.lastError?.statusCode,
        message: String(error?.message ?? error),
        cause: error?.cause ? String(error.cause?.message ?? error.cause) : undefined,
      },
    };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}
