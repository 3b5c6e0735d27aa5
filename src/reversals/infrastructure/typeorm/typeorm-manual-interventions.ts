import { IsNull } from 'typeorm';
import { ManualInterventionEntity } from '../../../persistence/entities';
import type { UnitOfWork } from '../../../persistence/unit-of-work';
import type {
  ManualIntervention,
  ManualInterventionReason,
  ManualInterventionRequest,
  ManualInterventions,
} from '../../application/ports/manual-interventions.port';

export class TypeOrmManualInterventions implements ManualInterventions {
  constructor(private readonly uow: UnitOfWork) {}

  async open(request: ManualInterventionRequest): Promise<void> {
    await this.uow.run((m) =>
      m
        .createQueryBuilder()
        .insert()
        .into(ManualInterventionEntity)
        .values({
          paymentId: request.paymentId ?? null,
          paymentRequestId: request.paymentRequestId,
          reason: request.reason,
          detail: request.detail.slice(0, 255),
          createdAt: request.at,
          resolvedAt: null,
          openKey: request.paymentRequestId,
        })
        // One open entry per payment: a repeat (redelivery, the dead-letter recorder) adds nothing.
        .orIgnore()
        .execute(),
    );
  }

  async listOpen(): Promise<ManualIntervention[]> {
    const rows = await this.uow.read((m) =>
      m.find(ManualInterventionEntity, { where: { resolvedAt: IsNull() }, order: { id: 'ASC' } }),
    );
    return rows.map((r) => ({
      id: String(r.id),
      ...(r.paymentId !== null ? { paymentId: r.paymentId } : {}),
      paymentRequestId: r.paymentRequestId,
      reason: r.reason as ManualInterventionReason,
      detail: r.detail,
      at: r.createdAt,
    }));
  }

  async resolve(id: string, at: Date): Promise<void> {
    await this.uow.run((m) => m.update(ManualInterventionEntity, { id }, { resolvedAt: at, openKey: null }));
  }
}
