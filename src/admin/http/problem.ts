/**
 * RFC 9457 problem details: every admin error is one of these, whatever raised it. `type` is a stable
 * URI per kind of problem (documented in the OpenAPI description), `detail` says what happened this time.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Which fields were wrong (400 validation problems). */
  errors?: string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://switch.example/problems/';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthenticated', 'Missing or unknown API key'],
  403: ['forbidden', 'Role too low'],
  404: ['not-found', 'Not found'],
  409: ['conflict', 'Conflict with the current state'],
  413: ['too-large', 'Body too large'],
  415: ['unsupported-media-type', 'JSON expected'],
  422: ['unprocessable', 'Refused by a business rule'],
  500: ['internal', 'Internal error'],
  502: ['upstream', 'Alipay gave no usable answer'],
};

/** An expected refusal, thrown by admin services and turned into a problem response by the filter. */
export class AdminProblem extends Error {
  /** Set once the refusal has its audit entry, so the refusal auditor does not write a second. */
  audited = false;

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: string[],
  ) {
    super(detail);
    this.name = 'AdminProblem';
  }

  markAudited(): this {
    this.audited = true;
    return this;
  }

  toDetails(instance?: string): ProblemDetails {
    return problemDetails(this.status, this.detail, instance, this.errors);
  }
}

export function problemDetails(
  status: number,
  detail: string,
  instance?: string,
  errors?: string[],
): ProblemDetails {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  return {
    type: `${TYPE_BASE}${slug}`,
    title,
    status,
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(errors !== undefined ? { errors } : {}),
  };
}

export const badRequest = (detail: string, errors?: string[]) => new AdminProblem(400, detail, errors);
export const notFound = (detail: string) => new AdminProblem(404, detail);
export const conflict = (detail: string) => new AdminProblem(409, detail);
export const unprocessable = (detail: string) => new AdminProblem(422, detail);
export const upstream = (detail: string) => new AdminProblem(502, detail);

export const PROBLEM_STATUSES = Object.keys(TITLES).map(Number);
