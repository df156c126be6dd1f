#ifndef _INCLUDED_scrutable_ie_pre_push_spikes
#define _INCLUDED_scrutable_ie_pre_push_spikes

void _run_scrutable_ie_pre_push_spikes();


#endif
