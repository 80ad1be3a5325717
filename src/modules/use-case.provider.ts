import type { FactoryProvider, InjectionToken } from '@nestjs/common';

type Constructor<T> = new (...args: never[]) => T;

/** Provides a decorator-free core class, constructed from the given DI tokens in order. */
export function useCase<T>(type: Constructor<T>, deps: InjectionToken[] = []): FactoryProvider<T> {
  return {
    provide: type,
    useFactory: (...args: unknown[]) => new (type as new (...a: unknown[]) => T)(...args),
    inject: deps,
  };
}
