import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit } from '../http/paging';
import type { AdminActor } from '../keys/roles';
import { LiveSessions } from './live-sessions';

@AdminController('sessions', 'Sessions')
export class SessionsController {
  constructor(@Inject(LiveSessions) private readonly sessions: LiveSessions) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'Connected terminals', description: 'Instance, terminal, merchant, dialect, remote address, signed on, connected since, last message, for every live instance (another instance’s sessions as it last wrote them, a few seconds old).' })
  list(@Query() q: PageQueryDto) {
    return this.sessions.list(pageLimit(q.limit), q.cursor);
  }

  @Post(':terminalId/disconnect')
  @HttpCode(200)
  @AdminRoute({ role: 'operator', write: true, errors: [404], summary: 'Close the terminal’s links', description: 'At the instance that answers this request (its own sockets). The terminal may connect again; suspend it to keep it out.' })
  disconnect(@Param('terminalId') terminalId: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor) {
    return this.sessions.disconnect(terminalId, actor);
  }
}
