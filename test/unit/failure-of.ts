/**
 * What `act` failed with, whether it threw synchronously or returned a rejected promise (some use cases check
 * authorisation before they return their promise). Fails the test when `act` succeeded.
 */
export async function failureOf(act: () => unknown): Promise<Error> {
  try {
    await act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, but it succeeded');
}
