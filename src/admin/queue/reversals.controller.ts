import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit } from '../http/paging';
import type { AdminActor } from '../keys/roles';
import { CancelRequeue } from './cancel-requeue';
import { ReversalQueue } from './reversal-queue';

@AdminController('reversals', 'Reversal queue')
export class ReversalsController {
  constructor(
    @Inject(ReversalQueue) private readonly queue: ReversalQueue,
    @Inject(CancelRequeue) private readonly requeue: CancelRequeue,
  ) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'Outbox backlog and oldest age, cancel jobs by state, dead letters and open interventions' })
  summary() {
    return this.queue.summary();
  }

  @Get('dead-letters')
  @AdminRoute({ role: 'viewer', summary: 'Cancels that stopped without Alipay’s confirmation', description: 'Their payment stays CANCEL_REQUESTED, flagged for manual intervention; id is the paymentRequestId.' })
  deadLetters(@Query() q: PageQueryDto) {
    return this.queue.deadLetters(pageLimit(q.limit), q.cursor);
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(202)
  @AdminRoute({ role: 'operator', write: true, errors: [404, 409], summary: 'Send a dead-lettered cancel through the queue again', description: 'A fresh cancel order in the outbox, a first attempt again under the retry policy; 409 while the cancel is still being retried or when the payment no longer waits for one.' })
  replay(@Param('id') id: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor) {
    return this.requeue.requeue(id, actor, { action: 'dead-letter.replay', targetType: 'payment', targetId: id });
  }
}
