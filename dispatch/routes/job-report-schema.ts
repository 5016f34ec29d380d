// The technician's report in GET /api/orders/{id}/detail (dispatch/core/job-report.ts).
import { Type, type TSchema } from '@sinclair/typebox';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A photo of the technician's report (its image is fetched by id). */
export const photoFields = {
  id: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  uploadedAt: Type.String(),
};

export const JobReportSchema = Type.Object(
  {
    removedSerial: Type.String({ description: "the removed part's serial" }),
    note: N(Type.String({ description: "the technician's note (null for customers)" })),
    flagged: Type.Boolean({ description: 'a part was fitted that was not staged, or more than staged' }),
    reportedBy: Type.String({ description: 'the technician\u2019s e-mail ("technician" for customers)' }),
    reportedAt: Type.String(),
    fitted: Type.Array(
      Type.Object({
        sku: Type.String(),
        name: Type.String(),
        qty: Type.Integer({ description: 'fitted' }),
        staged: N(Type.Integer({ description: 'staged for the job (null for customers)' })),
      }),
    ),
    notFitted: Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer() }), {
      description: 'staged units not fitted, gone back to stock as an UNUSED return',
    }),
    photos: Type.Array(
      Type.Object({
        ...photoFields,
        url: Type.String({ description: 'the image, with the bearer token (desk and technician only)' }),
      }),
      { description: 'empty for customers' },
    ),
  },
  { description: 'what the technician recorded at completion; null before (or without his report)' },
);
