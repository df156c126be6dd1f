#ifndef _INCLUDED_scrutable_syn_post_push_spikes
#define _INCLUDED_scrutable_syn_post_push_spikes

void _run_scrutable_syn_post_push_spikes();


#endif
