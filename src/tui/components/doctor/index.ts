export { Doctor, doctorListRows, type DoctorProps } from './doctor.js';
export { useDoctorState, sortedTips } from './use-doctor-state.js';
