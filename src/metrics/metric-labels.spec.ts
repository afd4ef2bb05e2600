import { databaseCommandLabel, statusLabel, zoomRouteLabel } from './metric-labels';
import { MetricsService } from './metrics.service';

describe('metric labels stay within small fixed sets', () => {
  it('keeps Zoom route templates and turns anything with a value in it into "other"', () => {
    expect(zoomRouteLabel('POST', '/chat/users/{userId}/messages')).toBe(
      'POST /chat/users/{userId}/messages',
    );
    expect(zoomRouteLabel('GET', '/metrics/meetings/{meetingId}/participants')).toBe(
      'GET /metrics/meetings/{meetingId}/participants',
    );
    expect(zoomRouteLabel('GET', '/users/me')).toBe('GET /users/me');
    for (const filled of [
      '/meetings/85746352413',
      '/chat/users/ada@example.com/messages',
      '/meetings/%2F%2Fabc%3D%3D',
      '/chat/users/AbC-123/messages',
      '/meetings/{meetingId}?x=1',
      'meetings/{meetingId}',
      '/',
      `/${'a'.repeat(120)}`,
    ]) {
      expect(zoomRouteLabel('GET', filled)).toBe('other');
    }
    expect(zoomRouteLabel('TRACE', '/users/me')).toBe('other');
  });

  it('reports HTTP statuses as their code, no answer as "network", nonsense as "other"', () => {
    expect(statusLabel(201)).toBe('201');
    expect(statusLabel(429)).toBe('429');
    expect(statusLabel(0)).toBe('network');
    for (const bad of [42, 600, 200.5, Number.NaN]) expect(statusLabel(bad)).toBe('other');
  });

  it('names the usual database commands and folds the rest into "other"', () => {
    expect(databaseCommandLabel('findAndModify')).toBe('findAndModify');
    expect(databaseCommandLabel('update')).toBe('update');
    expect(databaseCommandLabel('someAdminCommand')).toBe('other');
  });
});

describe('MetricsService', () => {
  it('keeps each app its own registry, so two apps in one process never mix their counts', async () => {
    const one = new MetricsService();
    const two = new MetricsService();
    one.delivery('sent');
    one.delivery('lease-lost');
    one.zoomCall('medium', 'POST', '/chat/users/ada@example.com/messages', 201, 0.1);
    const text = await one.render();
    expect(text).toContain('zlq_deliveries_total{outcome="sent"} 1');
    expect(text).toContain('zlq_deliveries_total{outcome="lease_lost"} 1');
    expect(text).toContain('zlq_operations_total{operation="delivery"} 1');
    expect(text).toContain('zlq_zoom_requests_total{label="medium",route="other",status="201"} 1');
    expect(text).not.toContain('example.com');
    expect(await two.render()).toContain('zlq_deliveries_total{outcome="sent"} 0');
    expect(one.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
