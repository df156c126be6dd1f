#ifndef _INCLUDED_scrutable_ei_pre_push_spikes
#define _INCLUDED_scrutable_ei_pre_push_spikes

void _run_scrutable_ei_pre_push_spikes();


#endif
