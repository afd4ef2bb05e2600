import { ApiProperty } from '@nestjs/swagger';

/**
 * Who a row of a course's records is (issue 18): the same columns in the gradebook and the
 * attendance (src/common/course-people.ts puts a person on the same row in both).
 */
export class CoursePersonDto {
  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true })
  student_id!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Zoom account user id, when seen' })
  zoom_user_id!: string | null;

  @ApiProperty({ description: 'false: seen in the course’s meetings, on no roster line' })
  on_roster!: boolean;
}
