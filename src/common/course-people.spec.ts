import { CourseRows, rowKeyOf } from './course-people';

describe('CourseRows (one row per person across a course’s records)', () => {
  it('matches roster lines by lower-cased email; extras after the roster, by name', () => {
    const rows = new CourseRows([
      { name: 'Zed', email: 'zed@x.example', student_id: 'S1' },
      { name: 'Amy', email: 'AMY@x.example', student_id: 'S2' },
      { name: 'No email', email: null, student_id: 'S3' },
      { name: 'Amy again', email: 'amy@x.example', student_id: 'S4' },
    ]);
    const amy = rows.see({
      name: 'Amy Z',
      email: 'Amy@X.example',
      zoom_user_id: 'u1',
      person_key: 'u1',
    });
    rows.see({ name: 'Walker', email: null, zoom_user_id: 'u9', person_key: 'u9' });
    rows.see({
      name: 'Bea',
      email: 'bea@y.example',
      zoom_user_id: null,
      person_key: 'bea@y.example',
    });
    rows.see({ name: 'Guest', email: null, zoom_user_id: null, person_key: 'join-7' });
    expect(amy).toBe('email:amy@x.example');
    expect(
      rows.rows().map((r) => [r.name, r.email, r.student_id, r.zoom_user_id, r.on_roster]),
    ).toEqual([
      ['Zed', 'zed@x.example', 'S1', null, true],
      ['Amy', 'amy@x.example', 'S2', 'u1', true],
      ['No email', null, 'S3', null, true],
      ['Bea', 'bea@y.example', null, null, false],
      ['Guest', null, null, null, false],
      ['Walker', null, null, 'u9', false],
    ]);
  });

  it('a person’s key: email, else Zoom user id, else the person key', () => {
    expect(rowKeyOf({ email: 'A@b.c', zoom_user_id: 'u', person_key: 'k' })).toBe('email:a@b.c');
    expect(rowKeyOf({ email: null, zoom_user_id: 'u', person_key: 'k' })).toBe('zoom:u');
    expect(rowKeyOf({ email: null, zoom_user_id: null, person_key: 'k' })).toBe('key:k');
  });
});
