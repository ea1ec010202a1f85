/**
 * MEMORY DOCTOR for the Doctor view: src/memory/doctor.ts's report and tips.
 */
import { memoryDoctor as doctor, type Tip } from '../../memory/doctor.js';

export { memoryDoctor } from '../../memory/doctor.js';
export type DoctorTip = Tip;
export type DoctorReport = ReturnType<typeof doctor>;
