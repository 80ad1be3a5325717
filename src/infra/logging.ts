import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT when set; otherwise readable lines on a terminal and JSON lines for everything else (pipes, files). */
export function resolveLogFormat(configured: LogFormat | undefined, stdoutIsTty = process.stdout.isTTY === true): LogFormat {
  return configured ?? (stdoutIsTty ? 'pretty' : 'json');
}

const streams = new Map<LogFormat, DestinationStream>();

/**
 * Where every log line of the process goes (the start-up messages and Nest's logger share it). Pretty lines come
 * from pino-pretty, pino's own formatter, run in this thread and synchronously so nothing is lost on exit.
 */
export function logStream(format: LogFormat): DestinationStream {
  let stream = streams.get(format);
  if (!stream) {
    stream =
      format === 'pretty'
        ? PinoPretty({
            sync: true,
            colorize: process.stdout.isTTY === true && !process.env.NO_COLOR,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname,context',
            messageFormat: '{if context}[{context}] {end}{msg}',
          })
        : pino.destination({ fd: 1, sync: true });
    streams.set(format, stream);
  }
  return stream;
}

/** The logger main.ts uses before (and around) the Nest application. */
export function startupLogger(format: LogFormat, level: string): Logger {
  return pino({ level }, logStream(format));
}

/**
 * Nest's logger until the application's own (nestjs-pino) takes over: the same stream, and errors as their message
 * only (the stack at debug level), so a failed start prints readable lines and never a stack trace.
 */
export class StartupNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: unknown): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest.at(-1));
  }
  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: unknown): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: unknown): void {
    this.write('fatal', message, context);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, context: unknown): void {
    const fields = typeof context === 'string' ? { context } : {};
    if (message instanceof Error) {
      this.logger[level](fields, message.message.split('\n')[0] ?? message.name);
      this.logger.debug({ ...fields, stack: message.stack }, 'stack of the error above');
    } else {
      this.logger[level](fields, typeof message === 'string' ? message : JSON.stringify(message));
    }
  }
}
