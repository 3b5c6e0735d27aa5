import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '../../logging/logger';
import { LOGGER } from '../../logging/logging.module';
import { AdminProblem, PROBLEM_CONTENT_TYPE, problemDetails, type ProblemDetails } from './problem';

/**
 * The one place an admin request's error becomes an answer: admin refusals keep their status and detail,
 * Nest's HTTP exceptions (route, body parsing) keep their status, anything else is a 500 that says
 * nothing about the internals and is logged with the request id.
 */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    sendProblem(response, this.toProblem(error, request));
  }

  private toProblem(error: unknown, request: Request): ProblemDetails {
    const instance = request.originalUrl.split('?')[0];
    if (error instanceof AdminProblem) return error.toDetails(instance);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return problemDetails(status, status === 404 ? 'no such resource' : error.message, instance);
    }
    this.logger.error(
      { requestId: request.header('x-request-id'), path: instance, err: describe(error) },
      'admin request failed',
    );
    return problemDetails(500, 'the request failed; the log has the details under its request id', instance);
  }
}

export function sendProblem(response: Response, problem: ProblemDetails): void {
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
